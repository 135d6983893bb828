"""Deterministic generator of the demo chemical plant package and of larger test plants.

The demo plant is a fictional fine-chemicals plant, 江北精细化工有限公司南京工厂 (Jiangbei Fine
Chemicals Co., Nanjing plant), placed in the south-west corner of the Nanjing Jiangbei New Materials
Science Park (formerly Nanjing Chemical Industry Park). The layout is designed in local metres
(:mod:`.layout`), staffed (:mod:`.people`) and written as RFC 7946 GeoJSON (longitude/latitude,
EPSG:4326, coordinates rounded to 8 decimals) after shifting local metres to UTM zone 50N
(EPSG:32650) at the site's south-west corner (:mod:`.generate`). What stands where, who works
there and what they hold are tables in ``data/*.json`` (:mod:`.tables`), not code.

``scale=N`` tiles N copies of the plant (ids prefixed ``P01-`` .. ``PNN-``) in rows of five with
100 m gaps, joined by park roads, inside one site polygon: a chemical park for load tests.

Run ``python -m tools.plantgen OUT [--scale N] [--seed S]`` or ``commandcenter plant generate OUT``.
The same arguments always give byte-identical files.
"""

from tools.plantgen.generate import generate_plant

__all__ = ["generate_plant"]
