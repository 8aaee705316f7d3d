// Renders plugin components the way the web app does: each inside its own error boundary, so that a
// failing plugin component shows a note instead of taking the page down.

import React from 'react';

import type {Registered} from './store';

interface BoundaryState {
    failed: boolean;
}

/** PluginErrorBoundary stands in for the web app's boundary around every pluggable component. */
export class PluginErrorBoundary extends React.Component<{pluginId: string; children: React.ReactNode}, BoundaryState> {
    override state: BoundaryState = {failed: false};

    static getDerivedStateFromError(): BoundaryState {
        return {failed: true};
    }

    override render() {
        if (this.state.failed) {
            return <span className='host-plugin-error'>{`The plugin ${this.props.pluginId} failed here.`}</span>;
        }
        return this.props.children;
    }
}

/** resolve turns a registered text (a component or an element) into something to render. */
export function resolve(node: unknown): React.ReactNode {
    return typeof node === 'function' ? React.createElement(node as React.ComponentType) : node as React.ReactNode;
}

/** PluginComponents renders every component registered in a slot, each in its own boundary. */
export function PluginComponents({items, props}: {items: Registered[]; props: Record<string, unknown>}) {
    return (
        <>
            {items.map((item) => (
                <PluginErrorBoundary
                    key={item.id}
                    pluginId={item.pluginId}
                >
                    {React.createElement(item.component as React.ComponentType<Record<string, unknown>>, props)}
                </PluginErrorBoundary>
            ))}
        </>
    );
}
