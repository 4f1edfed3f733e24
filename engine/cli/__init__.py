"""The ``coalition`` command: click commands that parse, call the library and render; the
``-o`` writer, progress line and shell completion."""
