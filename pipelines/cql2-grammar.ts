/**
 * The peggy grammars behind pipelines/cql2.ts, kept as strings so that the parsers are built at run time
 * (`peggy.generate`, once, on first use) with no build step beside `tsc`.
 *
 * CQL2_TEXT_GRAMMAR is written from the BNF of OGC 21-065r2 (annex B, `cql2/standard/schema/cql2.bnf` of
 * opengeospatial/ogcapi-features), reshaped for a PEG (ordered choice, no left recursion, nothing parsed twice):
 * - precedence OR < AND < NOT < predicate (comparison, LIKE, BETWEEN, IN, IS NULL) < + - < * / % div < ^ < unary minus;
 * - every value is read by ONE rule (`Sum`), whatever it turns out to be (a property, a function call, a WKT
 *   geometry, a parenthesised condition, an array...): the rules of the BNF that would read the same text in several
 *   ways (scalarExpression, numericExpression, isNullOperand, argument, arrayElement...) become checks of what was
 *   read, done by the helpers of pipelines/cql2.ts (`options.h`), which also build the JSON encoding. Reading each
 *   part once keeps the parse linear however deep the parentheses (no backtracking over a nested group);
 * - `( ... )` is one rule too (`Group`): one element in parentheses is a parenthesised value, zero or several an array
 *   literal; the helpers decide by context (an IN list, an array function's operand and an array element are arrays);
 * - keyword functions (S_*, T_*, A_*, CASEI, ACCENTI, DATE, TIMESTAMP, INTERVAL, BBOX) are read as function calls and
 *   recognised by name (case-insensitive) in the helpers; WKT geometries, whose coordinates are not comma-separated
 *   values, have their own rules.
 * The semantic actions only call the helpers, with the offset of what they read (for the error messages).
 *
 * JSON_SYNTAX_GRAMMAR (RFC 8259) is only used to say WHERE a `cql2-json` filter that JSON.parse refused is broken, and
 * what was expected there: V8's messages do not always give a position.
 */

/** CQL2 text (cql2-text). String.raw: backslashes reach peggy as written. */
export const CQL2_TEXT_GRAMMAR = String.raw`
{
  const h = options.h;
}

Filter
  = _ e:Expression _ End { return h.filter(e); }

End "the end of the filter"
  = !.

// ------------------------------------------------------------------------------------------------ conditions

Expression
  = head:AndExpr tail:(_ OR _ @AndExpr)* { return tail.length ? h.logic('or', head, tail) : head; }

AndExpr
  = head:NotExpr tail:(_ AND _ @NotExpr)* { return tail.length ? h.logic('and', head, tail) : head; }

NotExpr
  = NOT _ p:Predicate { return h.not(offset(), p); }
  / Predicate

// A value, or a value and what tests it: comparisonPredicate of the BNF (the spatial, temporal and array predicates
// are function calls, read by Call)
Predicate
  = l:Sum t:(_ @Tail)? { return t ? h.predicate(l, t) : l; }

Tail
  = op:CompOp _ r:Sum { return { test: 'compare', op, r, not: false }; }
  / n:(NOT _)? LIKE _ r:Sum { return { test: 'like', r, not: n !== null }; }
  / n:(NOT _)? BETWEEN _ low:Sum _ AND _ high:Sum { return { test: 'between', low, high, not: n !== null }; }
  / n:(NOT _)? IN _ list:Group { return { test: 'in', list, not: n !== null }; }
  / IS _ n:(NOT _)? NULL { return { test: 'isNull', not: n !== null }; }

CompOp "a comparison operator (=, <>, <, >, <=, >=)"
  = "<>" / "<=" / ">=" / "=" / "<" / ">"

// ------------------------------------------------------------------------------------------------ arithmetic

Sum
  = head:Product tail:(_ @AddOp _ @Product)* { return tail.length ? h.arithmetic(head, tail) : head; }

Product
  = head:Power tail:(_ @MulOp _ @Power)* { return tail.length ? h.arithmetic(head, tail) : head; }

Power
  = base:Unary exp:(_ PowOp _ @Unary)? { return exp === null ? base : h.arithmetic(base, [['^', exp]]); }

Unary
  = "-" _ a:Atom { return h.negate(offset(), a); }
  / Atom

AddOp "an arithmetic operator"
  = "+" / "-"

MulOp "an arithmetic operator"
  = "*" / "/" / "%" / DIV { return 'div'; }

PowOp "an arithmetic operator"
  = "^"

// ------------------------------------------------------------------------------------------------ values

Atom
  = Group
  / String
  / Number
  / Boolean
  / Geometry
  / Call
  / Property

Group
  = "(" _ items:List? _ ")" { return h.group(offset(), items ?? []); }

List
  = head:Expression tail:(_ "," _ @Expression)* { return [head, ...tail]; }

Call
  = !Reserved name:Identifier _ "(" _ args:List? _ ")" { return h.call(offset(), name, args ?? []); }

Property
  = !Reserved name:Identifier !(_ "(") { return h.property(offset(), name, false); }
  / '"' name:Identifier '"' { return h.property(offset(), name, true); }

// characterLiteral: '' and backslash escapes (requirement /req/cql2-text/escaping)
String "a 'string'"
  = "'" chars:StringChar* "'" { return h.string(offset(), chars.join('')); }

StringChar
  = "''" { return "'"; }
  / "\\" c:. { return h.escape(c); }
  / [^'\\]

// numericLiteral, signed: a minus before a value is read by Unary first, so this sign only counts after that minus:
// "- -1" is 1 (arithmeticFactor = ["-"] arithmeticOperand, and an arithmeticOperand may be a signed numericLiteral)
Number "a number"
  = ([+-]? Unsigned) !IdentStart { return h.number(offset(), text()); }

Unsigned
  = (Digits ("." Digits?)? / "." Digits) ([eE] [+-]? Digits)?

Digits
  = [0-9]+

Boolean
  = TRUE { return h.boolean(offset(), true); }
  / FALSE { return h.boolean(offset(), false); }

// identifier: identifierStart and identifierPart of the BNF (colon, underscore, letters of most scripts...)
Identifier "a property or function name"
  = $(IdentStart IdentPart*)

IdentStart
  = [:_A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFE\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]
  / [\u{10000}-\u{EFFFF}]u

IdentPart
  = IdentStart
  / [.0-9\u0300-\u036F\u203F-\u2040]

// ------------------------------------------------------------------------------------------------ WKT geometries
// "Z" is optional: the dimension comes from the coordinates (OGC 21-065r2, 8.2). MULTIPOINT takes its points with or
// without their own parentheses (both are in use).

Geometry
  = POINT Z _ p:PointText { return h.geometry(offset(), 'Point', p); }
  / LINESTRING Z _ l:LineText { return h.geometry(offset(), 'LineString', l); }
  / POLYGON Z _ p:PolygonText { return h.geometry(offset(), 'Polygon', p); }
  / MULTIPOINT Z _ m:MultiPointText { return h.geometry(offset(), 'MultiPoint', m); }
  / MULTILINESTRING Z _ m:MultiLineText { return h.geometry(offset(), 'MultiLineString', m); }
  / MULTIPOLYGON Z _ m:MultiPolygonText { return h.geometry(offset(), 'MultiPolygon', m); }
  / GEOMETRYCOLLECTION Z _ "(" _ head:Member tail:(_ "," _ @Member)* _ ")" { return h.collection(offset(), [head, ...tail]); }

Member
  = !GEOMETRYCOLLECTION @Geometry

Z
  = (_ "Z"i !IdentPart)?

PointText
  = "(" _ @Position _ ")"

Position
  = x:Coordinate Next y:Coordinate z:(Next @Coordinate)? { return h.position(offset(), x, y, z); }

// coordinates are separated by spaces
Next "a space and another coordinate"
  = Space+

LineText
  = "(" _ head:Position tail:(_ "," _ @Position)* _ ")" { return h.positions(offset(), [head, ...tail]); }

PolygonText
  = "(" _ head:LineText tail:(_ "," _ @LineText)* _ ")" { return [head, ...tail]; }

MultiPointText
  = "(" _ head:PointText tail:(_ "," _ @PointText)* _ ")" { return [head, ...tail]; }
  / "(" _ head:Position tail:(_ "," _ @Position)* _ ")" { return [head, ...tail]; }

MultiLineText
  = "(" _ head:LineText tail:(_ "," _ @LineText)* _ ")" { return [head, ...tail]; }

MultiPolygonText
  = "(" _ head:PolygonText tail:(_ "," _ @PolygonText)* _ ")" { return [head, ...tail]; }

Coordinate "a number"
  = [+-]? Unsigned !IdentStart { return h.coordinate(offset(), text()); }

// ------------------------------------------------------------------------------------------------ keywords

Reserved
  = AND / OR / NOT / LIKE / BETWEEN / IN / IS / NULL / TRUE / FALSE / DIV
  / POINT / LINESTRING / POLYGON / MULTIPOINT / MULTILINESTRING / MULTIPOLYGON / GEOMETRYCOLLECTION

AND = "AND"i !IdentPart
OR = "OR"i !IdentPart
NOT = "NOT"i !IdentPart
LIKE = "LIKE"i !IdentPart
BETWEEN = "BETWEEN"i !IdentPart
IN = "IN"i !IdentPart
IS = "IS"i !IdentPart
NULL = "NULL"i !IdentPart
TRUE = "TRUE"i !IdentPart
FALSE = "FALSE"i !IdentPart
DIV = "DIV"i !IdentPart
POINT = "POINT"i !IdentPart
LINESTRING = "LINESTRING"i !IdentPart
POLYGON = "POLYGON"i !IdentPart
MULTIPOINT = "MULTIPOINT"i !IdentPart
MULTILINESTRING = "MULTILINESTRING"i !IdentPart
MULTIPOLYGON = "MULTIPOLYGON"i !IdentPart
GEOMETRYCOLLECTION = "GEOMETRYCOLLECTION"i !IdentPart

// whitespace of the BNF
_ = Space*
Space = [\t\n\x0B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]
`;

/** JSON (RFC 8259), to locate a syntax error; values are not built. */
export const JSON_SYNTAX_GRAMMAR = String.raw`
Json = _ Value _ End

End "the end of the filter"
  = !.

Value = Object / Array / String / Number / "true" / "false" / "null"
Object = "{" _ (Member (_ "," _ Member)*)? _ "}"
Member = Key _ ":" _ Value
Key "a property name in double quotes" = String
Array = "[" _ (Value (_ "," _ Value)*)? _ "]"
String = '"' StringChar* '"'
StringChar "a character or escape of a string"
  = [^"\\\0-\x1F] / "\\" (["\\/bfnrt] / "u" [0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F])
Number "a number"
  = "-"? ("0" / [1-9] [0-9]*) ("." [0-9]+)? ([eE] [+-]? [0-9]+)?
_ = [ \t\n\r]*
`;
