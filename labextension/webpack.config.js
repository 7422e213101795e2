// Merged into @jupyter/builder's rspack config (package.json "jupyterlab.webpackConfig").
const path = require('path');

module.exports = {
  module: {
    rules: [
      {
        // Minify our stylesheets (drops comments and whitespace) before
        // css-loader / style-loader inline them into the bundle.
        test: /\.css$/,
        include: path.resolve(__dirname, 'style'),
        enforce: 'pre',
        loader: 'builtin:lightningcss-loader',
        options: { minify: true }
      }
    ]
  }
};
