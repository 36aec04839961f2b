"""crowdcare: social customer care run from a Git repository.

The layers, lowest first (ARCHITECTURE.md, Layers): core, content, steps, adapters, edges; a module imports only
from its own layer or below, and ``tests/test_layers.py`` enforces it.
"""

__version__ = "0.1.0"
