// The page's stylesheet (package.json "styleModule": JupyterLab and Notebook 7
// import it once per page). The builder imports `*.raw.css` as text, so the
// rules go into one <style> element without the style-loader runtime.
import base from './base.raw.css';
import controls from './controls.raw.css';
import popover from './popover.raw.css';
import panel from './panel.raw.css';

const style = document.createElement('style');
style.textContent = base + controls + popover + panel;
document.head.append(style);
