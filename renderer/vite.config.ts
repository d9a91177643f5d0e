import { defineConfig, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy } from '../shared/security/content-security-policy';

/**
 * One CSP for every way the page is loaded: the same string Electron main sends as a header
 * and the helper's static server sends, written into the page too (minus frame-ancestors, which
 * a <meta> policy cannot carry). `crossorigin` is dropped because Electron loads from file://.
 */
function pagePolicy(): Plugin {
  const metaPolicy = contentSecurityPolicy
    .split('; ')
    .filter((directive) => !directive.startsWith('frame-ancestors'))
    .join('; ');
  return {
    name: 'mirror-clone-page-policy',
    transformIndexHtml: (html) => html.replace('%CONTENT_SECURITY_POLICY%', metaPolicy).replaceAll(' crossorigin', ''),
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset paths: Electron loads the page from disk (file://).
  base: './',
  plugins: [pagePolicy()],
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    // No inline <script> or <style>: the CSP allows only files from the app itself.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
