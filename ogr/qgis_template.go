package ogr

// qgsTemplate is the QGIS 3 project (.qgs) parkplan writes: EPSG:4490,
// the layers over a GeoPackage beside it, styled like the map page.
const qgsTemplate = `<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis projectname="{{x .Title}}" version="3.22.16-Białowieża">
  <homePath path=""/>
  <title>{{x .Title}}</title>
  <projectCrs>
    <spatialrefsys nativeFormat="Wkt"><wkt>GEOGCRS["China Geodetic Coordinate System 2000",DATUM["China 2000",ELLIPSOID["CGCS2000",6378137,298.257222101,LENGTHUNIT["metre",1]]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],CS[ellipsoidal,2],AXIS["geodetic latitude (Lat)",north,ORDER[1],ANGLEUNIT["degree",0.0174532925199433]],AXIS["geodetic longitude (Lon)",east,ORDER[2],ANGLEUNIT["degree",0.0174532925199433]],ID["EPSG",4490]]</wkt><proj4>+proj=longlat +ellps=GRS80 +no_defs</proj4><srid>4490</srid><authid>EPSG:4490</authid><description>China Geodetic Coordinate System 2000</description><projectionacronym>longlat</projectionacronym><ellipsoidacronym>EPSG:1024</ellipsoidacronym><geographicflag>true</geographicflag></spatialrefsys>
  </projectCrs>
  <layer-tree-group>
{{- range $i, $l := .Tree}}
    <layer-tree-layer id="{{$l.ID}}" name="{{x $l.Title}}" source="{{x $l.Source}}" providerKey="ogr" checked="Qt::Checked" expanded="1"/>
{{- end}}
  </layer-tree-group>
  <projectlayers>
{{- range .Layers}}
    <maplayer type="vector" geometry="{{.Geometry}}" labelsEnabled="{{if .Label}}1{{else}}0{{end}}" hasScaleBasedVisibilityFlag="0">
      <id>{{.ID}}</id>
      <datasource>{{x .Source}}</datasource>
      <layername>{{x .Title}}</layername>
      <srs><spatialrefsys nativeFormat="Wkt"><wkt>GEOGCRS["China Geodetic Coordinate System 2000",DATUM["China 2000",ELLIPSOID["CGCS2000",6378137,298.257222101,LENGTHUNIT["metre",1]]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],CS[ellipsoidal,2],AXIS["geodetic latitude (Lat)",north,ORDER[1],ANGLEUNIT["degree",0.0174532925199433]],AXIS["geodetic longitude (Lon)",east,ORDER[2],ANGLEUNIT["degree",0.0174532925199433]],ID["EPSG",4490]]</wkt><proj4>+proj=longlat +ellps=GRS80 +no_defs</proj4><srid>4490</srid><authid>EPSG:4490</authid><description>China Geodetic Coordinate System 2000</description><projectionacronym>longlat</projectionacronym><ellipsoidacronym>EPSG:1024</ellipsoidacronym><geographicflag>true</geographicflag></spatialrefsys></srs>
      <provider encoding="UTF-8">ogr</provider>
{{- $l := .}}
{{- if .Attr}}
      <renderer-v2 type="categorizedSymbol" attr="{{x .Attr}}" forceraster="0" symbollevels="0" enableorderby="0">
        <categories>
{{- range $i, $c := .Categories}}
          <category value="{{x $c.Value}}" symbol="{{$i}}" label="{{x $c.Label}}" render="true"/>
{{- end}}
        </categories>
        <symbols>
{{- range $i, $c := .Categories}}
{{template "symbol" (sym $l $i $c.Fill $c.Stroke)}}
{{- end}}
        </symbols>
      </renderer-v2>
{{- else}}
      <renderer-v2 type="singleSymbol" forceraster="0" symbollevels="0" enableorderby="0">
        <symbols>
{{template "symbol" (sym $l 0 .Fill .Stroke)}}
        </symbols>
      </renderer-v2>
{{- end}}
{{- if .Label}}
      <labeling type="simple">
        <settings calloutType="simple">
          <text-style fieldName="{{x .Label}}" isExpression="0" fontFamily="{{x $.Font}}" fontSize="9" fontSizeUnit="Point" textColor="51,51,51,255" textOpacity="1" fontWeight="50">
            <text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="1"/>
          </text-style>
          <placement placement="1" priority="5" dist="0" distUnits="MM" quadOffset="4" centroidInside="1" centroidWhole="0" placementFlags="10" polygonPlacementFlags="2" offsetType="0" offsetUnits="MM" xOffset="0" yOffset="0" rotationAngle="0" preserveRotation="1" repeatDistance="0" overrunDistance="0" fitInPolygonOnly="0" geometryGeneratorEnabled="0"/>
          <rendering drawLabels="1" obstacle="1" obstacleFactor="1" obstacleType="1" fontLimitPixelSize="0" fontMinPixelSize="0" fontMaxPixelSize="10000" scaleVisibility="0" scaleMin="0" scaleMax="0" displayAll="0" upsidedownLabels="0" limitNumLabels="0" maxNumLabels="2000" minFeatureSize="0" labelPerPart="0" mergeLines="0" zIndex="0" unplacedVisibility="0"/>
        </settings>
      </labeling>
{{- end}}
    </maplayer>
{{- end}}
  </projectlayers>
  <properties>
    <Paths><Absolute type="bool">false</Absolute></Paths>
    <SpatialRefSys><ProjectionsEnabled type="int">1</ProjectionsEnabled></SpatialRefSys>
  </properties>
</qgis>
{{define "symbol"}}
{{- if eq .Layer.Geometry "Polygon"}}
          <symbol type="fill" name="{{.N}}" alpha="1" clip_to_extent="1" force_rhr="0">
            <layer class="SimpleFill" enabled="1" pass="0" locked="0">
              <Option type="Map">
                <Option type="QString" name="color" value="{{.Fill}}"/>
                <Option type="QString" name="outline_color" value="{{if .Stroke}}{{.Stroke}}{{else}}0,0,0,0{{end}}"/>
                <Option type="QString" name="outline_width" value="0.3"/>
                <Option type="QString" name="outline_width_unit" value="MM"/>
                <Option type="QString" name="style" value="solid"/>
                <Option type="QString" name="outline_style" value="{{if .Stroke}}solid{{else}}no{{end}}"/>
              </Option>
            </layer>
{{- if .Layer.TierMarkers}}
            <layer class="CentroidFill" enabled="1" pass="0" locked="0">
              <Option type="Map"><Option type="QString" name="point_on_surface" value="1"/></Option>
              <symbol type="marker" name="@{{.N}}@1" alpha="1" clip_to_extent="1" force_rhr="0">
                <layer class="SimpleMarker" enabled="1" pass="0" locked="0">
                  <Option type="Map">
                    <Option type="QString" name="name" value="circle"/>
                    <Option type="QString" name="color" value="{{.Stroke}}"/>
                    <Option type="QString" name="outline_color" value="255,255,255,255"/>
                    <Option type="QString" name="size" value="{{index .Tier 1}}"/>
                    <Option type="QString" name="size_unit" value="MM"/>
                  </Option>
                  <data_defined_properties>
                    <Option type="Map">
                      <Option type="QString" name="name" value=""/>
                      <Option name="properties" type="Map">
                        <Option name="size" type="Map">
                          <Option type="bool" name="active" value="true"/>
                          <Option type="QString" name="expression" value="CASE WHEN &quot;tier&quot; = 'complex' THEN {{index .Tier 2}} WHEN &quot;tier&quot; = 'standard' THEN {{index .Tier 1}} ELSE {{index .Tier 0}} END"/>
                          <Option type="int" name="type" value="3"/>
                        </Option>
                      </Option>
                      <Option type="QString" name="type" value="collection"/>
                    </Option>
                  </data_defined_properties>
                </layer>
              </symbol>
            </layer>
{{- end}}
          </symbol>
{{- else if eq .Layer.Geometry "Line"}}
          <symbol type="line" name="{{.N}}" alpha="1" clip_to_extent="1" force_rhr="0">
            <layer class="SimpleLine" enabled="1" pass="0" locked="0">
              <Option type="Map">
                <Option type="QString" name="line_color" value="{{.Stroke}}"/>
                <Option type="QString" name="line_width" value="0.2"/>
                <Option type="QString" name="line_width_unit" value="MM"/>
                <Option type="QString" name="line_style" value="solid"/>
              </Option>
            </layer>
          </symbol>
{{- else}}
          <symbol type="marker" name="{{.N}}" alpha="1" clip_to_extent="1" force_rhr="0">
            <layer class="SimpleMarker" enabled="1" pass="0" locked="0">
              <Option type="Map">
                <Option type="QString" name="name" value="circle"/>
                <Option type="QString" name="color" value="{{.Fill}}"/>
                <Option type="QString" name="outline_color" value="{{.Stroke}}"/>
                <Option type="QString" name="size" value="1.6"/>
                <Option type="QString" name="size_unit" value="MM"/>
              </Option>
            </layer>
          </symbol>
{{- end}}
{{- end}}`
