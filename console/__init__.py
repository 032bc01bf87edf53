"""The Qt console: composition root, main window, intake and queue screens, settings, and the background sync thread."""
