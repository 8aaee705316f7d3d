// Mattermost's default light ("Denim") and dark ("Onyx") themes, the part plugins read: as the theme
// prop of plugin components, and as the CSS variables the web app sets on the page.

export interface HostTheme {
    centerChannelBg: string;
    centerChannelColor: string;
    linkColor: string;
    buttonBg: string;
    buttonColor: string;
    errorTextColor: string;
    sidebarBg: string;
}

export const themes: Record<'light' | 'dark', HostTheme> = {
    light: {centerChannelBg: '#ffffff', centerChannelColor: '#3f4350', linkColor: '#386fe5', buttonBg: '#1c58d9', buttonColor: '#ffffff', errorTextColor: '#d24b4e', sidebarBg: '#1e325c'},
    dark: {centerChannelBg: '#191b1f', centerChannelColor: '#e3e4e8', linkColor: '#5d89ea', buttonBg: '#4a7ce8', buttonColor: '#ffffff', errorTextColor: '#da6c6e', sidebarBg: '#202228'},
};

function rgb(hex: string): string {
    const n = parseInt(hex.slice(1), 16);
    return `${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}`;
}

/** applyTheme sets the CSS variables of a theme on the page, as the web app does. */
export function applyTheme(theme: HostTheme): void {
    const vars: Record<string, string> = {
        '--center-channel-bg': theme.centerChannelBg,
        '--center-channel-bg-rgb': rgb(theme.centerChannelBg),
        '--center-channel-color': theme.centerChannelColor,
        '--center-channel-color-rgb': rgb(theme.centerChannelColor),
        '--link-color': theme.linkColor,
        '--link-color-rgb': rgb(theme.linkColor),
        '--button-bg': theme.buttonBg,
        '--button-color': theme.buttonColor,
        '--error-text': theme.errorTextColor,
        '--sidebar-bg': theme.sidebarBg,
    };
    for (const [name, value] of Object.entries(vars)) {
        document.documentElement.style.setProperty(name, value);
    }
}
