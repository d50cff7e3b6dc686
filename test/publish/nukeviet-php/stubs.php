<?php
/**
 * Just enough of NukeViet around api.php for the bantin API class to run for real under `php -S`:
 * the Api/ApiResult/IApi classes (same codes and envelope as NukeViet's), a request reader, the helper
 * functions the class calls, and a PDO database (SQLite) holding the news module's tables.
 * Test harness only — the production class runs inside a real NukeViet.
 */
namespace NukeViet\Api {
    interface IApi
    {
        public static function getAdminLev();
        public static function getCat();
        public function setResultHander(ApiResult $result);
        public function execute();
    }

    class Api
    {
        const ADMIN_LEV_GOD = 1;
        const ADMIN_LEV_SP = 2;
        const ADMIN_LEV_MOD = 3;
        private static $adminId = 0;
        private static $moduleName = '';
        private static $moduleInfo = [];
        public static function setAdminId($id) { self::$adminId = (int) $id; }
        public static function getAdminId() { return self::$adminId; }
        public static function setModuleName($n) { self::$moduleName = $n; }
        public static function getModuleName() { return self::$moduleName; }
        public static function setModuleInfo($i) { self::$moduleInfo = $i; }
        public static function getModuleInfo() { return self::$moduleInfo; }
    }

    class ApiResult
    {
        const CODE_REMOTE_OFF = '0011';
        const CODE_SYS_ERROR = '0012';
        const CODE_NO_CREDENTIAL_FOUND = '0013';
        const CODE_AUTH_FAIL = '0014';
        const CODE_API_NOT_EXISTS = '0004';
        const CODE_MODULE_NOT_EXISTS = '0005';
        const CODE_MISSING_TIME = '0020';
        private $result = ['status' => 'error', 'code' => '0000', 'message' => ''];
        public function setError() { $this->result['status'] = 'error'; return $this; }
        public function setSuccess() { $this->result['status'] = 'success'; return $this; }
        public function setCode($code) { $this->result['code'] = $code; return $this; }
        public function setMessage($m) { $this->result['message'] = $m; return $this; }
        public function set($k, $v) { $this->result[$k] = $v; return $this; }
        public function getResult() { return json_encode($this->result); }
        public function returnResult() { header('Content-Type: application/json'); echo $this->getResult(); exit(0); }
    }
}

namespace {
    define('NV_MAINFILE', true);
    define('NV_ADMIN', true);
    define('NV_CURRENTTIME', time());
    define('NV_PREFIXLANG', 'nv4_vi');
    define('NV_LANG_DATA', 'vi');
    define('NV_LANG_VARIABLE', 'language');
    define('NV_NAME_VARIABLE', 'nv');
    define('NV_OP_VARIABLE', 'op');
    define('NV_BASE_SITEURL', '/');
    define('NV_MY_DOMAIN', 'https://tinhuy.example');
    define('NV_UPLOADS_DIR', 'uploads');
    define('NV_UPLOADS_REAL_DIR', getenv('NV_DATA_DIR') . '/uploads');
    define('NV_ALLOWED_HTML_TAGS', 'p, h3, ul, li, em, strong, a');
    $global_config = ['rewrite_exturl' => '.html', 'remote_api_access' => getenv('NV_REMOTE_API') !== 'off'];

    /** The request reader of NukeViet, reduced to POST fields. */
    class NvRequest
    {
        public function get_title($n, $mode, $def = '') { return isset($_POST[$n]) ? trim(strip_tags((string) $_POST[$n])) : $def; }
        public function get_int($n, $mode, $def = 0) { return isset($_POST[$n]) ? (int) $_POST[$n] : $def; }
        public function get_string($n, $mode, $def = '') { return isset($_POST[$n]) ? (string) $_POST[$n] : $def; }
        public function get_textarea($n, $def = '', $tags = '') { return isset($_POST[$n]) ? htmlspecialchars((string) $_POST[$n]) : $def; }
        public function get_editor($n, $def = '', $tags = '') { return isset($_POST[$n]) ? (string) $_POST[$n] : $def; }
    }
    $nv_Request = new NvRequest();

    function change_alias($s)
    {
        $s = iconv('UTF-8', 'ASCII//TRANSLIT', str_replace(['đ', 'Đ'], ['d', 'D'], $s));
        return trim(preg_replace('/[^a-z0-9]+/', '-', strtolower($s)), '-');
    }
    function urlRewriteWithDomain($url, $domain) { return $domain . $url; }

    /** MySQL-flavoured DDL of the class, run on SQLite: drop the table options and UNSIGNED, nothing else. */
    class HarnessDb extends PDO
    {
        #[\ReturnTypeWillChange]
        public function query($sql, $mode = null, ...$args) { return parent::query(self::sqlite($sql)); }
        #[\ReturnTypeWillChange]
        public function prepare($sql, $options = []) { return parent::prepare(self::sqlite($sql), $options); }
        private static function sqlite($sql) { return preg_replace(['/\)\s*ENGINE=InnoDB\s*$/i', '/\s+UNSIGNED\b/i'], [')', ''], $sql); }
    }
    $db = new HarnessDb('sqlite:' . getenv('NV_DATA_DIR') . '/nukeviet.sqlite');
    $db->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION);
    $cols = 'id INTEGER PRIMARY KEY AUTOINCREMENT, catid INT NOT NULL DEFAULT 0, listcatid TEXT NOT NULL DEFAULT \'\', topicid INT NOT NULL DEFAULT 0,
        admin_id INT NOT NULL DEFAULT 0, author TEXT DEFAULT \'\', sourceid INT NOT NULL DEFAULT 0, addtime INT NOT NULL DEFAULT 0, edittime INT NOT NULL DEFAULT 0,
        status INT NOT NULL DEFAULT 1, weight INT NOT NULL DEFAULT 0, publtime INT NOT NULL DEFAULT 0, exptime INT NOT NULL DEFAULT 0, archive INT NOT NULL DEFAULT 0,
        title TEXT NOT NULL DEFAULT \'\', alias TEXT NOT NULL DEFAULT \'\', hometext TEXT NOT NULL, homeimgfile TEXT DEFAULT \'\', homeimgalt TEXT DEFAULT \'\',
        homeimgthumb INT NOT NULL DEFAULT 0, inhome INT NOT NULL DEFAULT 0, allowed_comm TEXT DEFAULT \'\', allowed_rating INT NOT NULL DEFAULT 0,
        external_link INT NOT NULL DEFAULT 0, hitstotal INT NOT NULL DEFAULT 0, hitscm INT NOT NULL DEFAULT 0, total_rating INT NOT NULL DEFAULT 0, click_rating INT NOT NULL DEFAULT 0';
    $db->exec('CREATE TABLE IF NOT EXISTS nv4_vi_news_rows (' . $cols . ')');
    $db->exec('CREATE TABLE IF NOT EXISTS nv4_vi_news_1 (' . str_replace('AUTOINCREMENT', '', $cols) . ')');
    $db->exec("CREATE TABLE IF NOT EXISTS nv4_vi_news_detail (id INTEGER PRIMARY KEY, titlesite TEXT NOT NULL DEFAULT '', description TEXT NOT NULL, bodyhtml TEXT NOT NULL,
        keywords TEXT DEFAULT '', sourcetext TEXT DEFAULT '', files TEXT, imgposition INT NOT NULL DEFAULT 1, copyright INT NOT NULL DEFAULT 0,
        allowed_send INT NOT NULL DEFAULT 0, allowed_print INT NOT NULL DEFAULT 0, allowed_save INT NOT NULL DEFAULT 0)");
    $db->exec("CREATE TABLE IF NOT EXISTS nv4_vi_news_cat (catid INTEGER PRIMARY KEY, title TEXT NOT NULL, alias TEXT NOT NULL)");
    $db->exec("INSERT OR IGNORE INTO nv4_vi_news_cat (catid, title, alias) VALUES (1, 'Bản tin', 'ban-tin')");
}
