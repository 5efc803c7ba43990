"""Allow ``python -m fixer`` as a synonym for the ``backend-fixer`` console script."""

from fixer.cli import main

if __name__ == "__main__":
    main()
