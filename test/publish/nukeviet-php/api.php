<?php
/**
 * The checks of NukeViet's api.php, in its order, with its codes (see nukeviet/nukeviet src/api.php):
 * remote API on (0011), timestamp within 5 s (0020), credential (0013), password_verify / md5 of
 * secret_timestamp (0014), module (0005) and action (0004) — then the installed class is executed.
 */
require __DIR__ . '/stubs.php';

use NukeViet\Api\Api;
use NukeViet\Api\ApiResult;

$apiresults = new ApiResult();
if (empty($global_config['remote_api_access'])) {
    $apiresults->setCode(ApiResult::CODE_REMOTE_OFF)->setMessage('Remote is off!!!')->returnResult();
}
$timestamp = (int) ($_POST['timestamp'] ?? 0);
if ($timestamp + 5 < NV_CURRENTTIME or $timestamp - 5 > NV_CURRENTTIME) {
    $apiresults->setCode(ApiResult::CODE_MISSING_TIME)->setMessage('Incorrect API time')->returnResult();
}
if (($_POST['apikey'] ?? '') !== getenv('NV_API_KEY')) {
    $apiresults->setCode(ApiResult::CODE_NO_CREDENTIAL_FOUND)->setMessage('No Api Credential found !!!')->returnResult();
}
$plain = getenv('NV_API_SECRET') . '_' . $timestamp;
$hash = (string) ($_POST['hashsecret'] ?? '');
$ok = getenv('NV_VERSION') === '4.6' ? hash_equals(md5($plain), $hash) : password_verify($plain, $hash);
if (!$ok) {
    $apiresults->setCode(ApiResult::CODE_AUTH_FAIL)->setMessage('Api Authentication fail !!! ')->returnResult();
}
if (($_POST['module'] ?? '') !== 'news') {
    $apiresults->setCode(ApiResult::CODE_MODULE_NOT_EXISTS)->setMessage('Api Module Not Found!!!')->returnResult();
}
$action = (string) ($_POST['action'] ?? '');
$file = __DIR__ . '/../../../extras/nukeviet/' . basename($action) . '.php';
if (!preg_match('/^[A-Za-z0-9]+$/', $action) or !is_file($file)) {
    $apiresults->setCode(ApiResult::CODE_API_NOT_EXISTS)->setMessage('API not exists!!!')->returnResult();
}
require $file;
$classname = 'NukeViet\\Module\\news\\Api\\' . $action;
Api::setAdminId(1);
Api::setModuleName('news');
Api::setModuleInfo(['module_data' => 'news', 'module_upload' => 'news', 'module_file' => 'news']);
$api = new $classname();
$api->setResultHander($apiresults);
$return = $api->execute();
header('Content-Type: application/json');
echo $return;
