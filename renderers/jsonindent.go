package renderers

import "encoding/json"

// marshalIndent is json.MarshalIndent(v, "", "  "), byte for byte.
//
// MarshalIndent marshals and then re-reads the whole output through
// encoding/json's validating scanner to indent it, a state-machine step
// per byte; on a 30-line invoice that was two thirds of the source's cost.
// json.Marshal's output is valid JSON without whitespace, so indenting it
// needs only to know which bytes are inside strings (jsonindent_test.go
// compares the two on every document kind and on random values).
func marshalIndent(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return indentCompactJSON(make([]byte, 0, 2*len(b)), b), nil
}

// indentCompactJSON appends src, valid JSON without insignificant
// whitespace, to dst indented as json.Indent(dst, src, "", "  ") does:
// a newline and two spaces per depth after '{', '[' and ',', ": " after a
// key, and "{}" and "[]" for empty objects and arrays.
func indentCompactJSON(dst, src []byte) []byte {
	depth := 0
	needIndent := false
	inString, escaped := false, false
	newline := func(depth int) {
		dst = append(dst, '\n')
		for i := 0; i < depth; i++ {
			dst = append(dst, ' ', ' ')
		}
	}
	for _, c := range src {
		if inString {
			dst = append(dst, c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		if needIndent && c != '}' && c != ']' {
			needIndent = false
			depth++
			newline(depth)
		}
		switch c {
		case '{', '[':
			needIndent = true
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline(depth)
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if needIndent {
				needIndent = false
			} else {
				depth--
				newline(depth)
			}
			dst = append(dst, c)
		case '"':
			inString = true
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
