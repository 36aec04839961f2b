"""The core: frozen dataclasses (model), errors, text and time arithmetic (times), the one clock, redaction, and
every word people read (i18n, with locales/). Imports nothing but the standard library and Babel."""
