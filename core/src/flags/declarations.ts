// Transitional: flags are declared in declarations/ and assembled by index.ts. This empty
// module keeps the old side-effect imports resolving for one commit; the codemod removes them.
export {};
