import './base.css';
import './popover.css';
import './panel.css';
