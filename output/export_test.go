package output

// AppendJSONStringForTest exposes the JSON string encoder to the tests.
var AppendJSONStringForTest = appendJSONString

// ReportEscForTest exposes the text report's escaping to the tests.
var ReportEscForTest = esc

// SetAlignByTabwriterForTest makes the text report lay out every table
// with text/tabwriter (true) or its own aligner (false, the default).
func SetAlignByTabwriterForTest(on bool) { alignByTabwriter = on }
