"""A vendored pure-Python package: the app puts vendor/ on sys.path."""


def total(numbers):
    """The sum, as the app prints it."""
    return sum(numbers)
