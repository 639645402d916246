import { describe as suite, expect, it } from 'vitest';
import { describe } from '../../src/analysis/describe.js';
import { describeFrame, describeFromFrame, frameRows, postsFrame } from '../../src/analysis/frame.js';
import { NotebookDisplay, type MimeBundle } from '../../src/viz/notebook.js';

const posts = [
  { id: '1', text: 'We will build roads', createdAt: '2020-01-01' },
  { id: '2', text: 'Schools  open  today <b>' },
  { id: '3', text: 'é' },
];

suite('postsFrame', () => {
  it("is the report's DataFrame: id, created_at, text, num_chars, num_words", () => {
    const df = postsFrame(posts);
    expect(df.columns).toEqual(['id', 'created_at', 'text', 'num_chars', 'num_words']);
    expect(df.shape).toEqual([3, 5]);
    expect(df.column('num_words').values).toEqual([4, 4, 1]);
    expect(df.column('num_chars').values).toEqual([19, 24, 1]);
    expect(df.column('created_at').values).toEqual(['2020-01-01', '', '']);
  });

  it('shows in a notebook as pandas prints it, index first, every cell escaped', () => {
    const shown: MimeBundle[] = [];
    new NotebookDisplay({ show: (b) => void shown.push(b) }).frame(postsFrame(posts).head(2), { caption: 'posts' });
    const html = shown[0]!['text/html'] as string;
    expect(html).toContain('<thead><tr><th></th><th>id</th><th>created_at</th><th>text</th><th>num_chars</th><th>num_words</th></tr></thead>');
    expect(html).toContain('<td class="num">0</td><td>1</td>');
    expect(html).toContain('Schools  open  today &lt;b&gt;');
    expect(html).not.toContain('<b>');
  });
});

suite('describe frames', () => {
  it('keep our pandas-equal quartiles (not danfo’s own describe) and show as a describe() table', () => {
    const words = [5, 1, 3, 3, 9];
    const df = describeFrame({ words: describe(words), chars: describe([1, 2, 3, 4]) });
    expect(describeFromFrame(df)).toEqual({ words: describe(words), chars: describe([1, 2, 3, 4]) });
    expect(frameRows(df).rows.map((r) => r[0])).toEqual(['count', 'mean', 'std', 'min', '25%', '50%', '75%', 'max']);
    const shown: MimeBundle[] = [];
    new NotebookDisplay({ show: (b) => void shown.push(b) }).frame(df, { describe: true });
    const html = shown[0]!['text/html'] as string;
    expect(html).toContain('tweetlab-describe');
    expect([...html.matchAll(/<tr><th>([^<]+)<\/th>/g)].map((m) => m[1])).toEqual(['count', 'mean', 'std', 'min', '25%', '50%', '75%', 'max']);
    expect(html).toContain('<tr><th>25%</th><td class="num">3.000000</td><td class="num">1.750000</td></tr>');
    expect(() => describeFromFrame(postsFrame(posts))).toThrow(/^Not a describe\(\) frame/);
  });
});
