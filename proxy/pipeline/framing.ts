// Requests whose framing or routing headers two parsers could read differently are refused before
// anything is forwarded (request smuggling, RFC 9112 6.1 and 6.3). Node's parser (llhttp, strict)
// already rejects Content-Length together with Transfer-Encoding, duplicate Content-Length,
// malformed lengths, whitespace before the colon and bare LF; it lets these through, so we close them:
//  - more than one Host header (RFC 9112 3.2: must be answered with 400),
//  - Transfer-Encoding in more than one header line, or any coding list other than exactly
//    "chunked" (e.g. "chunked, chunked", "gzip, chunked": we could not re-frame them faithfully),
//  - Transfer-Encoding in an HTTP/1.0 request (RFC 9112 6.1: framing is faulty),
//  - an absolute-form or authority-form target whose host could disagree with Host.
// The exact set Node accepts is pinned by test/integration/framing.test.ts.
export function framingProblem(raw: readonly string[], httpVersion: string, url: string): string | undefined {
  let hosts = 0;
  let transferEncodings = 0;
  let te: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 4 && name.toLowerCase() === 'host') hosts++;
    else if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') {
      transferEncodings++;
      te = raw[i + 1];
    }
  }
  if (hosts > 1) return 'more than one Host header';
  if (transferEncodings > 1) return 'more than one Transfer-Encoding header';
  if (te !== undefined) {
    if (te.trim().toLowerCase() !== 'chunked') return `unsupported Transfer-Encoding "${te}"`;
    if (httpVersion === '1.0') return 'Transfer-Encoding in an HTTP/1.0 request';
  }
  if (url.charCodeAt(0) !== 47 /* / */ && url !== '*') return 'absolute-form or authority-form request target';
  return undefined;
}
