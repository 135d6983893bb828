"""An optional background image under the plant: a GeoTIFF orthophoto or a georeferenced site drawing, so the
neighbours off site and the surroundings of a long plume are visible without a network.

Read with rasterio (GDAL) in the service pool: reprojected to the plant's CRS when it is in another one
(``rasterio.warp.reproject``, bilinear), decimated to at most :data:`MAX_PX` pixels a side (GDAL's overviews
when the file has them), 1 band shown as grey, 3 as RGB, 4 as RGBA; nodata and pixels outside the image are
transparent. A file that is not a raster, has no CRS, or falls nowhere near the plant is refused naming the
file and the problem. Qt is used only to draw the result (:func:`image_item`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MAX_PX = 4096
MAX_FILE_BYTES = 4 * 1024**3
#: how far (m) from the site an image may lie and still be shown
NEAR_M = 20_000.0


class RasterError(ValueError):
    """A background image that cannot be shown: the message names the file and the problem."""


@dataclass
class Background:
    """An RGBA image (rows top to bottom) and its extent in the plant CRS (metres)."""

    rgba: np.ndarray
    bounds: tuple[float, float, float, float]
    path: str

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return int(self.rgba.shape[0]), int(self.rgba.shape[1])


def read_background(path: str | Path, plant_crs: Any, site_bounds: tuple[float, float, float, float] | None = None,
                    max_px: int = MAX_PX, cancel: Any = None) -> Background:
    """Read ``path`` for the map (see the module docstring); ``plant_crs`` is a pyproj CRS (or anything
    rasterio's ``CRS.from_user_input`` takes). Raises :class:`RasterError`."""
    try:
        from rasterio.crs import CRS
        from rasterio.errors import NotGeoreferencedWarning
    except ImportError as exc:  # pragma: no cover - rasterio is an optional dependency
        raise RasterError(f"{path}: background images need the rasterio package (pip install rasterio)") from exc
    p = Path(path)
    if not p.is_file():
        raise RasterError(f"{p}: no such file (or not a regular file)")
    if p.stat().st_size > MAX_FILE_BYTES:
        raise RasterError(f"{p}: larger than {MAX_FILE_BYTES // 1024**3} GiB")
    dst_crs = CRS.from_user_input(plant_crs.to_wkt() if hasattr(plant_crs, "to_wkt") else plant_crs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotGeoreferencedWarning)  # refused below, naming the file
        # rasterio 1.4 multiplies affine transforms with ``*``, which affine 3 deprecates: not ours to fix
        warnings.filterwarnings("ignore", message="Use `@` matmul", category=PendingDeprecationWarning)
        return _read(p, dst_crs, site_bounds, max_px, cancel)


def _read(p: Path, dst_crs: Any, site_bounds: tuple[float, float, float, float] | None, max_px: int,
          cancel: Any) -> Background:
    import rasterio
    from rasterio.enums import Resampling
    from rasterio.warp import calculate_default_transform, reproject, transform_bounds

    try:
        with rasterio.open(p) as src:
            if src.crs is None:
                raise RasterError(f"{p}: the image has no coordinate reference system (georeference it first)")
            if src.count not in (1, 3, 4):
                raise RasterError(f"{p}: {src.count} bands; a background has 1 (grey), 3 (RGB) or 4 (RGBA)")
            bands = [1] if src.count == 1 else [1, 2, 3] + ([4] if src.count == 4 else [])
            left, bottom, right, top = transform_bounds(src.crs, dst_crs, *src.bounds)
            if site_bounds is not None and not _near(site_bounds, (left, bottom, right, top)):
                raise RasterError(f"{p}: the image lies more than {NEAR_M / 1000:.0f} km from the plant "
                                  f"(its extent in the plant CRS: {left:.0f}, {bottom:.0f} – {right:.0f}, {top:.0f})")
            scale = max(src.width / max_px, src.height / max_px, 1.0)
            if src.crs == dst_crs:
                h, w = max(int(src.height / scale), 1), max(int(src.width / scale), 1)
                data = src.read(bands, out_shape=(len(bands), h, w), resampling=Resampling.bilinear, masked=True)
                valid = ~np.ma.getmaskarray(data).any(axis=0)
                data = np.ma.getdata(data)
                bounds = tuple(float(v) for v in src.bounds)
            else:
                transform, w, h = calculate_default_transform(src.crs, dst_crs, src.width, src.height, *src.bounds)
                w, h = max(int(w / scale), 1), max(int(h / scale), 1)
                transform = transform @ transform.scale(scale, scale)
                data = np.zeros((len(bands), h, w), dtype=np.float64)
                alpha = np.zeros((h, w), dtype=np.float64)
                for k, b in enumerate(bands):
                    if cancel is not None:
                        cancel.check()
                    reproject(rasterio.band(src, b), data[k], dst_transform=transform, dst_crs=dst_crs,
                              resampling=Resampling.bilinear, dst_nodata=np.nan)
                reproject(np.ones((src.height, src.width)), alpha, src_transform=src.transform, src_crs=src.crs,
                          dst_transform=transform, dst_crs=dst_crs, resampling=Resampling.nearest, dst_nodata=0)
                valid = (alpha > 0) & np.isfinite(data).all(axis=0)
                bounds = (transform.c, transform.f + transform.e * h, transform.c + transform.a * w, transform.f)
            dtype_max = _full_scale(src.dtypes[0], data)
    except RasterError:
        raise
    except Exception as exc:  # rasterio's own errors: not a raster, unreadable, truncated
        raise RasterError(f"{p}: cannot read it as a georeferenced image ({type(exc).__name__}: {exc})") from None
    return Background(_rgba(data, valid, dtype_max), bounds, str(p))  # type: ignore[arg-type]


def _near(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return not (b[0] > a[2] + NEAR_M or b[2] < a[0] - NEAR_M or b[1] > a[3] + NEAR_M or b[3] < a[1] - NEAR_M)


def _full_scale(dtype: str, data: np.ndarray) -> float:
    if dtype == "uint8":
        return 255.0
    if dtype == "uint16":
        return 65535.0 if np.nanmax(data) > 4095 else 4095.0
    top = float(np.nanmax(data)) if np.isfinite(data).any() else 1.0
    return top if top > 0 else 1.0


def _rgba(data: np.ndarray, valid: np.ndarray, full: float) -> np.ndarray:
    """Bands (1, 3 or 4 × rows × cols) as uint8 RGBA; invalid pixels transparent."""
    scaled = np.clip(np.nan_to_num(data.astype(np.float64), nan=0.0) / full * 255.0, 0, 255).astype(np.uint8)
    h, w = scaled.shape[1:]
    out = np.zeros((h, w, 4), dtype=np.uint8)
    if scaled.shape[0] == 1:
        out[..., 0] = out[..., 1] = out[..., 2] = scaled[0]
    else:
        out[..., :3] = np.moveaxis(scaled[:3], 0, -1)
    out[..., 3] = scaled[3] if scaled.shape[0] == 4 else 255
    out[~valid, 3] = 0
    return out


def image_item(bg: Background, origin: tuple[float, float]) -> Any:
    """A pyqtgraph ImageItem of ``bg`` placed in the map's local frame (plant coordinates − ``origin``)."""
    import pyqtgraph as pg
    from PySide6.QtCore import QRectF

    # ImageItem takes (columns, rows) with row 0 at the bottom in a view whose y goes up: flip and transpose
    img = np.ascontiguousarray(np.flipud(bg.rgba).transpose(1, 0, 2))
    item = pg.ImageItem(img, levels=None, autoLevels=False)
    x0, y0, x1, y1 = bg.bounds
    item.setRect(QRectF(x0 - origin[0], y0 - origin[1], x1 - x0, y1 - y0))
    return item
