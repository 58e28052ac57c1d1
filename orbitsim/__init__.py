"""orbitsim: the ISS orbit, its decay and reentry, and claims about them.

The public API reads like the domain; see README.md for examples.
"""

__version__ = "0.1.0"
