"""`python -m handover` runs the same CLI as the `handover` console script."""

from __future__ import annotations

from handover.cli import main

if __name__ == "__main__":
    main()
