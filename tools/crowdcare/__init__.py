"""crowdcare: social customer care run from a Git repository.

Layers (DESIGN.md §3), lowest first; a module imports only from its own layer or below:

- core: ``errors``, ``model``, ``text``
- content: ``rules``, ``frontmatter``, ``schema``, ``config``, ``store``, ``ports``
- steps: ``validate``, ``intake``, ``site.pages`` (with ``site.markup``, ``site.solutions``, ``site.ideas``,
  ``site.people``), ``site.sanitize``
- edges: ``cli``, ``site.plugin``, ``adapters`` (``convert``, ``event``, ``snapshot``)
"""

__version__ = "0.1.0"
