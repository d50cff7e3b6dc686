/**
 * An Atom 1.0 document (RFC 4287) of published issues, built as text (pure). Every URL is absolute: feed
 * readers resolve nothing. Entry ids are tag URIs (RFC 4151) that stay the same when the server moves.
 */
export interface AtomEntry {
  /** tag:… id, stable for the issue */
  id: string;
  title: string;
  /** ISO timestamp: when the issue was published */
  updated: string;
  /** Page a person reads (the archive issue page) */
  alternate: string;
  enclosure: { href: string; type: string; length: number; title: string };
  summary: string;
  categories: string[];
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle: string;
  self: string;
  alternate: string;
  author: string;
  /** Newest entry first; the feed's <updated> is the newest entry's (or `fallbackUpdated`) */
  entries: AtomEntry[];
  fallbackUpdated: string;
}

function x(s: string): string {
  // XML 1.0 forbids most control characters even escaped; article titles come from Word files.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export function renderAtom(feed: AtomFeed): string {
  const updated = feed.entries.reduce((max, e) => (e.updated > max ? e.updated : max), '') || feed.fallbackUpdated;
  const entries = feed.entries.map(
    (e) => `  <entry>
    <id>${x(e.id)}</id>
    <title type="text">${x(e.title)}</title>
    <updated>${x(e.updated)}</updated>
    <published>${x(e.updated)}</published>
    <link rel="alternate" type="text/html" href="${x(e.alternate)}"/>
    <link rel="enclosure" type="${x(e.enclosure.type)}" length="${e.enclosure.length}" title="${x(e.enclosure.title)}" href="${x(e.enclosure.href)}"/>
${e.categories.map((c) => `    <category term="${x(c)}"/>`).join('\n')}
    <summary type="text">${x(e.summary)}</summary>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">
  <id>${x(feed.id)}</id>
  <title type="text">${x(feed.title)}</title>
  <subtitle type="text">${x(feed.subtitle)}</subtitle>
  <updated>${x(updated)}</updated>
  <author><name>${x(feed.author)}</name></author>
  <link rel="self" type="application/atom+xml" href="${x(feed.self)}"/>
  <link rel="alternate" type="text/html" href="${x(feed.alternate)}"/>
  <generator>bantin</generator>
${entries.join('\n')}
</feed>
`;
}
