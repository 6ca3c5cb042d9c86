package output

// AppendJSONStringForTest exposes the JSON string encoder to the tests.
var AppendJSONStringForTest = appendJSONString

// ReportEscForTest exposes the text report's escaping to the tests.
var ReportEscForTest = esc

// SetAlignByTabwriterForTest makes the text report lay out every table
// with text/tabwriter (true) or its own aligner (false, the default).
func SetAlignByTabwriterForTest(on bool) { alignByTabwriter = on }

// SetWalkOnlyForTest makes fw print every frame by the walk over its
// nodes, not by the program of its shape.
func SetWalkOnlyForTest(fw *FieldsWriter, on bool) { fw.walkOnly = on }

// SetShapeLimitForTest makes fw keep at most n programs of shapes before
// its table starts over (call it before the first frame).
func SetShapeLimitForTest(fw *FieldsWriter, n int) { fw.shapes.max = n }

// ShapesForTest is the number of programs fw holds.
func ShapesForTest(fw *FieldsWriter) int { return len(fw.shapes.list) }

// MaxShapeNodesForTest is the most nodes a frame printed by the program
// of its shape has.
const MaxShapeNodesForTest = maxShapeNodes

// SetPredictAheadRowsForTest sets the size of a snapshot from which the
// predictions section is written ahead on a goroutine of its own (0:
// always; a huge n: never) and returns the size before.
func SetPredictAheadRowsForTest(n int) int {
	old := predictAheadRows
	predictAheadRows = n
	return old
}

// SetTailAheadLinesForTest sets the estimated length of a report from
// which the sections after the workgroups are written ahead on a goroutine
// of their own (0: always; a huge n: never) and returns the one before.
func SetTailAheadLinesForTest(n int) int {
	old := tailAheadLines
	tailAheadLines = n
	return old
}
