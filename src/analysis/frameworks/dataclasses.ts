/**
 * The dataclasses functions configuration code calls on its @dataclass objects (the generated
 * __init__ is the interpreter's): asdict/astuple (recursively, as Python copies nested dataclasses,
 * lists, tuples and dicts), replace(obj, **changes) (a new object through __init__), fields(),
 * is_dataclass(), and field(default=…, default_factory=…) as a field's default.
 */
import type { Range } from '../python/ast';
import type { Interpreter } from '../interp/interpreter';
import { NONE, UNKNOWN, str, type CallArgs, type InstanceValue, type Value } from '../interp/values';

function isDataclassInstance(v: Value | undefined): v is InstanceValue {
  return v?.t === 'instance' && !!v.cls.fields;
}

/** asdict / astuple: fields in order, nested dataclasses and containers converted too. */
function convert(v: Value, asDict: boolean, depth = 0): Value {
  if (depth > 20) return UNKNOWN;
  if (isDataclassInstance(v)) {
    const vals = v.cls.fields!.map((f) => convert(v.attrs.get(f.name) ?? UNKNOWN, asDict, depth + 1));
    return asDict ? { t: 'dict', keys: v.cls.fields!.map((f) => str(f.name)), vals } : { t: 'tuple', items: vals };
  }
  if (v.t === 'list' || v.t === 'tuple') return { t: v.t, items: v.items.map((x) => convert(x, asDict, depth + 1)) };
  if (v.t === 'dict') return { t: 'dict', keys: [...v.keys], vals: v.vals.map((x) => convert(x, asDict, depth + 1)) };
  return v;
}

export function dataclassesCall(ip: Interpreter, fn: string, args: CallArgs, range: Range): Value {
  const obj = args.positional[0];
  switch (fn) {
    case 'asdict':
    case 'astuple':
      return isDataclassInstance(obj) ? convert(obj, fn === 'asdict') : UNKNOWN;
    case 'replace': {
      if (!isDataclassInstance(obj) || args.incomplete) return UNKNOWN;
      const keywords = new Map<string, Value>();
      for (const f of obj.cls.fields!) keywords.set(f.name, obj.attrs.get(f.name) ?? UNKNOWN);
      for (const [k, v] of args.keywords) keywords.set(k, v);
      return ip.call(obj.cls, { positional: [], keywords, posRanges: [], kwRanges: args.kwRanges }, range);
    }
    case 'fields': {
      const cls = isDataclassInstance(obj) ? obj.cls : obj?.t === 'class' && obj.fields ? obj : null;
      if (!cls) return UNKNOWN;
      return {
        t: 'tuple',
        items: cls.fields!.map(
          (f) =>
            ({
              t: 'object',
              kind: 'foreign',
              attrs: new Map([['name', str(f.name)]]),
              what: 'dataclasses.Field',
            }) as Value,
        ),
      };
    }
    case 'is_dataclass':
      return { t: 'bool', v: isDataclassInstance(obj) || (obj?.t === 'class' && !!obj.fields) };
    case 'field': {
      // a field's default, evaluated each time the generated __init__ needs it
      const dflt = args.keywords.get('default');
      if (dflt) return dflt;
      const factory = args.keywords.get('default_factory');
      return factory ? ip.callValue(factory, [], range) : NONE;
    }
    default:
      return UNKNOWN;
  }
}
