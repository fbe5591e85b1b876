"""HTML pages of the conversations tool: none yet.

Store members work in the store admin (the tool's console entry) and through the APIs; a page
of this tool goes here, as a thin view over the same selectors and services as apis.py.
"""
