#!/usr/bin/python3
"""qgis-check.py PROJECT.qgz OUT.png — open a QGIS project headless with
QGIS itself (PyQGIS, Debian python3-qgis; QT_QPA_PLATFORM=offscreen),
print one JSON object: every layer's name, validity and feature count,
and the texts of the labels drawn when all layers are rendered at their
full extent into OUT.png (1000 px wide).
Used by cmd/parkplan's TestQGISProject."""
import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import QgsApplication, QgsProject, QgsMapSettings, QgsMapRendererParallelJob, QgsRectangle  # noqa: E402
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

app = QgsApplication([], False)
app.initQgis()
project = QgsProject.instance()
if not project.read(sys.argv[1]):
    print(json.dumps({"error": "QGIS could not read " + sys.argv[1]}))
    sys.exit(1)
out = {"crs": project.crs().authid(), "layers": []}
layers = []
for layer in project.layerTreeRoot().layerOrder():
    n = layer.featureCount() if layer.isValid() else -1
    out["layers"].append({"id": layer.id(), "name": layer.name(), "valid": layer.isValid(), "count": n,
                          "renderer": layer.renderer().type() if layer.isValid() and layer.renderer() else "",
                          "labels": bool(layer.labelsEnabled()) if layer.isValid() else False})
    layers.append(layer)
extent = QgsRectangle()
extent.setMinimal()
for layer in layers:
    if layer.isValid() and layer.featureCount() > 0:
        extent.combineExtentWith(layer.extent())
settings = QgsMapSettings()
settings.setLayers(layers)
settings.setDestinationCrs(project.crs())
settings.setExtent(extent)
settings.setOutputSize(QSize(1000, int(1000 * extent.height() / max(extent.width(), 1e-9))))
settings.setBackgroundColor(QColor(255, 255, 255))
settings.setFlag(QgsMapSettings.DrawLabeling, True)
job = QgsMapRendererParallelJob(settings)
job.start()
job.waitForFinished()
job.renderedImage().save(sys.argv[2], "png")
results = job.takeLabelingResults()
out["labels"] = sorted({lp.labelText for lp in results.allLabels()}) if results else []
print(json.dumps(out, ensure_ascii=False))
app.exitQgis()
