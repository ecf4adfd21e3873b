"""The one place the package version is defined (read by hatchling and ``postsale.__version__``)."""

__version__ = "0.1.0"
