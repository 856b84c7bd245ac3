/**
 * The --vscode-* variables VS Code puts on a webview's <html> for three built-in themes (values of
 * Light Modern, Dark Modern and High Contrast Dark, VS Code 1.100), and the body class it sets, so
 * the test page looks like the panel does in the editor.
 */
export type ThemeName = 'light' | 'dark' | 'hc';

const FONT = {
  'font-family': "system-ui, 'Ubuntu', 'Droid Sans', sans-serif",
  'font-size': '13px',
  'editor-font-family': "'Droid Sans Mono', 'DejaVu Sans Mono', monospace",
};

const DARK: Record<string, string> = {
  ...FONT,
  foreground: '#cccccc', 'editor-background': '#1f1f1f', descriptionForeground: '#9d9d9d', focusBorder: '#0078d4',
  'widget-border': '#313131', 'panel-border': '#2b2b2b', 'sideBar-background': '#181818', 'editorWidget-background': '#202020',
  'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1', 'button-border': '#ffffff12',
  'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c',
  'dropdown-background': '#313131', 'dropdown-border': '#3c3c3c', 'dropdown-foreground': '#cccccc',
  'input-background': '#313131', 'input-border': '#3c3c3c', 'input-foreground': '#cccccc', 'checkbox-background': '#313131',
  'toolbar-hoverBackground': '#5a5d5e50', 'badge-background': '#616161', 'badge-foreground': '#f8f8f8',
  'editorWarning-foreground': '#cca700', 'editorInfo-foreground': '#3794ff', 'testing-iconPassed': '#73c991', errorForeground: '#f85149',
  'inputValidation-errorBorder': '#be1100', 'progressBar-background': '#0078d4',
  'charts-blue': '#3794ff', 'charts-green': '#89d185', 'charts-yellow': '#cca700', 'charts-orange': '#d18616', 'charts-red': '#f14c4c', 'charts-purple': '#b180d7',
  'list-hoverBackground': '#2a2d2e', 'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff',
  'list-inactiveSelectionBackground': '#37373d', 'list-focusOutline': '#0078d4',
  'textBlockQuote-background': '#2b2b2b', 'textCodeBlock-background': '#2b2b2b',
};

const LIGHT: Record<string, string> = {
  ...FONT,
  foreground: '#3b3b3b', 'editor-background': '#ffffff', descriptionForeground: '#717171', focusBorder: '#005fb8',
  'widget-border': '#e5e5e5', 'panel-border': '#e5e5e5', 'sideBar-background': '#f8f8f8', 'editorWidget-background': '#f8f8f8',
  'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8', 'button-border': '#0000001a',
  'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
  'dropdown-background': '#ffffff', 'dropdown-border': '#cecece', 'dropdown-foreground': '#3b3b3b',
  'input-background': '#ffffff', 'input-border': '#cecece', 'input-foreground': '#3b3b3b', 'checkbox-background': '#f8f8f8',
  'toolbar-hoverBackground': '#b8b8b850', 'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b',
  'editorWarning-foreground': '#bf8803', 'editorInfo-foreground': '#1a85ff', 'testing-iconPassed': '#388a34', errorForeground: '#f85149',
  'inputValidation-errorBorder': '#be1100', 'progressBar-background': '#005fb8',
  'charts-blue': '#1a85ff', 'charts-green': '#388a34', 'charts-yellow': '#bf8803', 'charts-orange': '#d18616', 'charts-red': '#e51400', 'charts-purple': '#652d90',
  'list-hoverBackground': '#f2f2f2', 'list-activeSelectionBackground': '#e8e8e8', 'list-activeSelectionForeground': '#000000',
  'list-inactiveSelectionBackground': '#e4e6f1', 'list-focusOutline': '#005fb8',
  'textBlockQuote-background': '#f8f8f8', 'textCodeBlock-background': '#f0f0f0',
};

const HC: Record<string, string> = {
  ...FONT,
  foreground: '#ffffff', 'editor-background': '#000000', descriptionForeground: '#ffffffb3', focusBorder: '#f38518', contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518',
  'sideBar-background': '#000000', 'editorWidget-background': '#0c141f',
  'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df',
  'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff',
  'dropdown-background': '#000000', 'dropdown-border': '#6fc3df', 'dropdown-foreground': '#ffffff',
  'input-background': '#000000', 'input-border': '#6fc3df', 'input-foreground': '#ffffff', 'checkbox-background': '#000000',
  'badge-background': '#000000', 'badge-foreground': '#ffffff', 'editorWarning-foreground': '#ffd370', 'editorInfo-foreground': '#3794ff',
  'testing-iconPassed': '#73c991', errorForeground: '#f48771', 'inputValidation-errorBorder': '#6fc3df', 'progressBar-background': '#6fc3df',
  'charts-blue': '#3794ff', 'charts-green': '#89d185', 'charts-yellow': '#ffd370', 'charts-orange': '#d18616', 'charts-red': '#f48771', 'charts-purple': '#b180d7',
  'list-activeSelectionBackground': '#000000', 'list-focusOutline': '#f38518', 'list-hoverBackground': '#000000',
  'textBlockQuote-background': '#000000', 'textCodeBlock-background': '#000000',
};

export const THEMES: Record<ThemeName, { bodyClass: string; vars: Record<string, string> }> = {
  light: { bodyClass: 'vscode-light', vars: LIGHT },
  dark: { bodyClass: 'vscode-dark', vars: DARK },
  hc: { bodyClass: 'vscode-high-contrast', vars: HC },
};
