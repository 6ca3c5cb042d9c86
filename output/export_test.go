package output

// AppendJSONStringForTest exposes the JSON string encoder to the tests.
var AppendJSONStringForTest = appendJSONString

// ReportEscForTest exposes the text report's escaping to the tests.
var ReportEscForTest = esc
