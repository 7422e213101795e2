// Merged into @jupyter/builder's rspack config (package.json "jupyterlab.webpackConfig").
const path = require('path');

module.exports = {
  module: {
    rules: [
      {
        // Minify our stylesheets (drops comments and whitespace) before
        // style/index.js takes them in as text (the builder's `*.raw.css` rule).
        test: /\.css$/,
        include: path.resolve(__dirname, 'style'),
        enforce: 'pre',
        loader: 'builtin:lightningcss-loader',
        options: { minify: true }
      }
    ]
  }
};
