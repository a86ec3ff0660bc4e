/** Text from the docs with its `backticked` words shown as code. */
export function InlineCodeText({ text }: { text: string }) {
  return <>{text.split('`').map((piece, i) => (i % 2 === 1 ? <code key={i}>{piece}</code> : piece))}</>;
}
