package output

// AppendJSONStringForTest exposes the JSON string encoder to the tests.
var AppendJSONStringForTest = appendJSONString
