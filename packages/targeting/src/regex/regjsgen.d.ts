// regjsgen ships no types; it turns a regjsparser AST back into pattern source.
declare module 'regjsgen' {
  const regjsgen: { generate(node: unknown): string };
  export default regjsgen;
}
