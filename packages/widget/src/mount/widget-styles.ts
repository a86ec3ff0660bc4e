// The widget's one stylesheet, injected into its shadow root. Page selectors
// cannot reach inside; only inherited values cross the shadow boundary, and
// `:host { all: initial !important }` cuts those: an !important declaration
// of the shadow tree beats the page's own !important on the host element.
// Motion is declared only under `prefers-reduced-motion: no-preference`.

/**
 * Screens narrow enough for the panel to open full-screen (phones, as
 * Intercom's does): a floating 360 px panel would leave slivers of the page.
 */
export const NARROW_SCREEN = '(max-width:450px)';

/** The CSS of the widget's shadow root. */
export const WIDGET_CSS = `
:host{all:initial!important;display:contents!important}
.root{--lumio-ink:#111827;--lumio-muted:#4b5563;--lumio-surface:#fff;--lumio-line:#e5e7eb;font:400 14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--lumio-ink);-webkit-font-smoothing:antialiased}
.root *,.root *::before,.root *::after{box-sizing:border-box}
button{font:inherit;color:inherit;margin:0;border:0;background:none;cursor:pointer;text-transform:none}
h2,h3,p{margin:0}
:focus{outline:none}
:focus-visible{outline:3px solid var(--lumio-focus);outline-offset:2px}
.popup:focus-visible,.panel:focus-visible,.help [tabindex="-1"]:focus-visible{outline:none}
[hidden]{display:none!important}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.launcher{position:fixed;bottom:calc(20px + var(--lumio-lift,0px));z-index:2147483000;width:56px;height:56px;border-radius:50%;display:flex;align-items:center;justify-content:center;background:var(--lumio-brand);color:var(--lumio-on-brand);box-shadow:0 4px 14px rgba(0,0,0,.25)}
.launcher svg{width:26px;height:26px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#dc2626;color:#fff;font-size:12px;font-weight:700;line-height:20px;text-align:center}
.right .launcher,.right .panel{right:20px}
.left .launcher,.left .panel{left:20px}
.panel{position:fixed;bottom:calc(88px + var(--lumio-lift,0px));z-index:2147483001;width:min(360px,calc(100vw - 40px));height:min(520px,calc(100vh - 120px));display:flex;flex-direction:column;background:var(--lumio-surface);border-radius:12px;box-shadow:0 12px 40px rgba(0,0,0,.22);overflow:hidden}
.panel-head{flex:none;padding:12px 12px 0 16px;background:var(--lumio-brand);color:var(--lumio-on-brand)}
.panel-title{display:flex;align-items:center;justify-content:space-between;gap:8px}
.panel-head h2{font-size:16px;font-weight:600}
.panel-head :focus-visible{outline-color:var(--lumio-on-brand);outline-offset:-3px}
.tabs{display:flex;gap:4px;margin:4px 0 0 -8px}
.tab{padding:8px 10px;border-bottom:3px solid transparent;border-radius:6px 6px 0 0;opacity:.85}
.tab:hover{background:rgba(127,127,127,.18)}
.tab[aria-selected="true"]{border-bottom-color:currentColor;font-weight:600;opacity:1}
.feed{flex:1;overflow:auto;overscroll-behavior:contain;padding:4px 16px 8px}
.tabpanel{flex:1;min-height:0;display:flex;flex-direction:column}
.help{flex:1;overflow:auto;overscroll-behavior:contain;padding:12px 16px}
.help-input{width:100%;margin:0;padding:9px 12px;border:1px solid #9ca3af;border-radius:8px;font:inherit;color:inherit;background:var(--lumio-surface)}
.help-input:focus-visible{outline-offset:0}
.help-heading{margin:16px 0 0;color:var(--lumio-muted);font-size:12px;font-weight:600;letter-spacing:.04em;text-transform:uppercase}
.help-title{margin:4px 0 6px;font-size:17px;font-weight:700}
.help-intro{color:var(--lumio-muted)}
.help-list{list-style:none;margin:0;padding:0}
.help-row{position:relative;padding:10px 0;border-bottom:1px solid var(--lumio-line)}
.help-row:last-child{border-bottom:0}
.help-row-button{display:block;width:100%;padding:0;text-align:left;font-weight:600}
.help-row-button::after{content:"";position:absolute;inset:0}
.help-row:hover .help-row-button{color:var(--lumio-link);text-decoration:underline}
.help-row-text{margin-top:2px;color:var(--lumio-muted);font-size:13px;overflow-wrap:anywhere}
mark{padding:0 1px;border-radius:2px;background:#fef08a;color:inherit}
.help-bar{margin:-6px 0 6px -6px}
.help-back{display:inline-flex;align-items:center;gap:4px;padding:4px 8px 4px 6px;border-radius:6px;color:var(--lumio-link);font-weight:600}
.help-back:hover,.chip:hover,.help-save:hover{background:rgba(127,127,127,.14)}
.help-article-head{display:flex;align-items:flex-start;justify-content:space-between;gap:8px}
.help-article h3{font-size:17px;font-weight:700}
.help-save,.chip{flex:none;display:inline-flex;align-items:center;gap:4px;padding:4px 12px;border:1px solid #9ca3af;border-radius:999px;font-size:13px;font-weight:600}
.help-save svg{width:14px;height:14px;fill:none;stroke:currentColor;stroke-width:2;stroke-linejoin:round}
.help-save[aria-pressed="true"],.chip[aria-pressed="true"]{border-color:var(--lumio-brand);background:var(--lumio-brand);color:var(--lumio-on-brand)}
.help-save[aria-pressed="true"] svg{fill:currentColor}
.helpful{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin-top:16px;padding-top:12px;border-top:1px solid var(--lumio-line);color:var(--lumio-muted)}
.thanks{margin-top:8px;color:var(--lumio-muted);font-size:13px}
.post{padding:14px 0;border-bottom:1px solid var(--lumio-line)}
.post:last-child{border-bottom:0}
.post h3{font-size:15px;font-weight:600}
.date{display:block;color:var(--lumio-muted);font-size:12px;margin-bottom:4px}
.empty{padding:24px 0;color:var(--lumio-muted);text-align:center}
.close{flex:none;width:32px;height:32px;border-radius:6px;display:inline-flex;align-items:center;justify-content:center;font-size:22px;line-height:1}
.close:hover{background:rgba(127,127,127,.18)}
.html{margin-top:6px;overflow-wrap:anywhere}
.html p,.html ul,.html ol{margin:0 0 8px}
.html img{max-width:100%;height:auto}
.html a{color:var(--lumio-link);text-decoration:underline}
.html h1,.html h2,.html h3,.html h4{margin:12px 0 6px;font-size:15px;font-weight:600}
.html pre{overflow:auto;padding:8px;border-radius:6px;background:#f3f4f6}
.html code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.html blockquote{margin:0 0 8px;padding-left:10px;border-left:3px solid var(--lumio-line)}
.cta{display:inline-block;margin-top:10px;padding:8px 14px;border-radius:8px;background:var(--lumio-brand);color:var(--lumio-on-brand);font-weight:600;text-decoration:none}
.cta:hover{filter:brightness(1.08)}
.backdrop{position:fixed;inset:0;z-index:2147483002;display:flex;align-items:center;justify-content:center;padding:16px;background:rgba(17,24,39,.55)}
.popup{position:relative;width:min(440px,100%);max-height:calc(100vh - 32px);max-height:calc(100dvh - 32px);overflow:auto;padding:24px;background:var(--lumio-surface);border-radius:14px;box-shadow:0 20px 60px rgba(0,0,0,.3)}
.popup h2{font-size:20px;font-weight:700;padding-right:32px}
.popup .close{position:absolute;top:12px;right:12px}
.banner{position:fixed;left:0;right:0;z-index:2147483000;display:flex;align-items:center;gap:12px;padding:10px 16px;background:var(--lumio-brand);color:var(--lumio-on-brand);box-shadow:0 2px 10px rgba(0,0,0,.2)}
.banner.top{top:0}
.banner.bottom{bottom:0}
.banner-text{flex:1;min-width:0}
.banner .html{display:inline;margin:0}
.banner .html>*{display:inline;margin:0 0 0 6px}
.banner .html a{color:inherit}
.banner .cta{margin:0;background:var(--lumio-on-brand);color:var(--lumio-brand)}
.banner :focus-visible{outline-color:var(--lumio-on-brand)}
@media ${NARROW_SCREEN}{
.root .panel{inset:0;width:auto;height:auto;border-radius:0;padding:0 env(safe-area-inset-right) env(safe-area-inset-bottom) env(safe-area-inset-left)}
.panel-head{padding-top:calc(12px + env(safe-area-inset-top))}
.panel .close{width:44px;height:44px}
.backdrop{padding:max(12px,env(safe-area-inset-top)) max(12px,env(safe-area-inset-right)) max(12px,env(safe-area-inset-bottom)) max(12px,env(safe-area-inset-left))}
.popup{max-height:100%;padding:20px}
}
@media (prefers-reduced-motion:no-preference){
.launcher{transition:transform .15s ease}
.launcher:hover{transform:scale(1.06)}
.panel{animation:lumio-rise .18s ease-out}
.backdrop{animation:lumio-fade .18s ease-out}
.popup{animation:lumio-pop .2s ease-out}
.banner.top{animation:lumio-drop .2s ease-out}
.banner.bottom{animation:lumio-rise .2s ease-out}
}
@media (prefers-reduced-motion:reduce){*,*::before,*::after{animation:none!important;transition:none!important}}
@keyframes lumio-fade{from{opacity:0}}
@keyframes lumio-rise{from{opacity:0;transform:translateY(8px)}}
@keyframes lumio-drop{from{opacity:0;transform:translateY(-8px)}}
@keyframes lumio-pop{from{opacity:0;transform:scale(.96)}}
`;
