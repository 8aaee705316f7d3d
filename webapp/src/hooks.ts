import {useDispatch} from 'react-redux';

import type {Dispatch} from './actions';

/** usePluginDispatch is the host store's dispatch, which also runs the plugin's thunks. */
export function usePluginDispatch(): Dispatch {
    return useDispatch() as unknown as Dispatch;
}
