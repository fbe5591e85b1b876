"""The seller console's frame on store hosts: the menu, the member guard, the Overview and the
sign-in hand-off from the platform. Each tool brings its own sections (saas.tools)."""
