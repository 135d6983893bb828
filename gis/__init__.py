"""Plant GIS: package loading and validation, CRS, the walkway graph and spatial queries.

Pure logic: imports numpy, shapely, geopandas, pyproj, networkx and scipy, never Qt.
"""
