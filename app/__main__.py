"""`python -m app` is the `liaison` command."""
from app.cli import main

raise SystemExit(main())
