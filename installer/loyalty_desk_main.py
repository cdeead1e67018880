"""Entry point of the frozen bundle (PyInstaller runs this file as ``__main__``)."""

import multiprocessing

if __name__ == "__main__":
    # The demo generator uses a process pool for large stores; a frozen child process must stop here.
    multiprocessing.freeze_support()

    from loyalty_desk.cli.main import main

    raise SystemExit(main())
