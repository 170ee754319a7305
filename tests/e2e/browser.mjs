// browser.mjs: how the browser tests launch Chromium: Debian's build
// (/usr/bin/chromium, or $CHROMIUM), headless, with nothing that reaches the
// network on its own. Never a downloaded browser.
export const LAUNCH = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
};
