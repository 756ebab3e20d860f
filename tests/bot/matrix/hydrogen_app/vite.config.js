// Builds the Hydrogen web client for the Matrix client test (tests/bot/matrix/hydrogen.py); scripts/setup-node-tools
// copies this folder into .node and builds it there, beside the node_modules it imports from.
export default {
    root: __dirname,
    base: "./",
    publicDir: false,
    build: {outDir: process.env.HYDROGEN_OUT, emptyOutDir: true, target: "es2022", assetsInlineLimit: 0},
};
