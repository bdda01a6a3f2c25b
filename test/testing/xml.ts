// A tiny strict XML reader for tests: elements, attributes, text, the five entities and numeric
// references. Throws on anything not well-formed, which is the point.
export interface XmlElement {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const decode = (s: string): string => {
  if (/&(?!(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(s)) throw new Error(`bare & in ${JSON.stringify(s)}`);
  if (s.includes('<')) throw new Error(`bare < in ${JSON.stringify(s)}`);
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
    e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'amp' ? '&' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
  );
};

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const rest = (): string => xml.slice(i);
  const decl = /^<\?xml[^?]*\?>\s*/.exec(rest());
  if (decl) i += decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (i < xml.length) {
    if (xml[i] === '<') {
      const close = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(rest());
      if (close) {
        const open = stack.pop();
        if (open?.name !== close[1]) throw new Error(`</${close[1]}> closes <${open?.name}>`);
        i += close[0].length;
        continue;
      }
      const tag = /^<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"]*")*)\s*(\/?)>/.exec(rest());
      if (!tag) throw new Error(`malformed tag at ${i}: ${rest().slice(0, 40)}`);
      const attrs: Record<string, string> = {};
      for (const [, k, v] of tag[2]!.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
        if (k! in attrs) throw new Error(`duplicate attribute ${k}`);
        attrs[k!] = decode(v!);
      }
      const el: XmlElement = { name: tag[1]!, attrs, children: [], text: '' };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else if (root === null) root = el;
      else throw new Error('two root elements');
      if (tag[3] !== '/') stack.push(el);
      i += tag[0].length;
    } else {
      const end = xml.indexOf('<', i);
      const chunk = xml.slice(i, end === -1 ? xml.length : end);
      const parent = stack[stack.length - 1];
      if (parent) parent.text += decode(chunk);
      else if (chunk.trim() !== '') throw new Error('text outside the root');
      i += chunk.length;
    }
  }
  if (stack.length > 0 || root === null) throw new Error('unclosed elements');
  return root;
}
