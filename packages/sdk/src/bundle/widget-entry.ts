// Entry of the SDK core's script-tag build (widget.js without the UI, measured
// by bench:size): the global LumioWidget and window.Lumio, nothing more.
// @lumio/widget's entry installs the same, then mounts the UI.
import { installGlobal } from './install-global.js';

installGlobal();
