"""The ``loyalty-desk`` command line: ``main`` assembles the parser, one module a command group."""
