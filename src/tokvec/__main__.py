"""``python -m tokvec`` runs the ``tokvec`` command."""

from .cli.main import run

if __name__ == "__main__":
    run()
