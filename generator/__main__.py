"""`python -m generator` runs the `etk` command line."""

from generator.cli import main

if __name__ == "__main__":
    main(prog_name="etk")  # not "python -m generator" in usage and help texts
