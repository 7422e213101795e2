import './base.css';
import './popover.css';
