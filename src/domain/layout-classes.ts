/**
 * Classes an article author may put in raw HTML to ask the layout for a treatment (README, "Issue
 * format"; styled by layouts/standard/print.css.hbs and the online edition). One list for intake (web
 * uploads, `bantin import`) and for typesetting, so a pull quote written in the app survives to print.
 */
export const LAYOUT_CLASSES: readonly string[] = ['pull-quote', 'wide', 'box', 'note', 'source', 'signature', 'center', 'right'];
