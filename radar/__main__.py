"""`python -m radar` runs the same CLI as the `radar` command."""

from radar.cli import main

if __name__ == "__main__":
    main()
