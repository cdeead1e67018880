from loyalty_desk.cli import main

raise SystemExit(main())
