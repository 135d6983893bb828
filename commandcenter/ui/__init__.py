"""The Qt user interface of the command center: the main window, the plant map and their helpers.

Qt (PySide6, pyqtgraph) is imported only inside this package; every other
package runs without a display. Start the GUI with :func:`commandcenter.ui.app.run_gui`.
"""
